"""What a step test depends on: the paths for @pytest.mark.steps(first, touching=...).

A test marked so runs on its first step, on every later step whose changes (steps.toml) touch
one of the paths (a file, a folder, or with '#' one top-level function or class of a Python
file), and on the last step of its range (the newest step, for an open range). A
step that touches none of them has those files exactly as the step before it, where the test
ran; the newest step, where every test runs, catches what a dependency left out here would
let through. Each new step costs a test only where it can change the test's outcome: with 58
steps, running every test on every step would not fit the suite's budget (tests/README.md).
"""
# the models of chapter 5: hello.py holds them up to chapter 6
MODELS = ('hello.py', 'app/models.py#Role', 'app/models.py#User')
MIGRATIONS = ('hello.py', 'app/models.py', 'migrations/')
# how the application is made, configured and started
STARTUP = ('hello.py', 'manage.py', 'config.py', 'app/__init__.py', 'requirements.txt')
# what a page is made of: templates, static files, the views of the main blueprint
PAGES = ('hello.py', 'templates/', 'static/', 'app/__init__.py', 'app/templates/',
         'app/static/', 'app/main/')
# the step's own unit tests and what they test
OWN_TESTS = ('tests/', 'manage.py#test', 'config.py', 'app/models.py')
# accounts: chapter 8
AUTH = ('app/auth/', 'app/models.py#User', 'app/models.py#make_token',
        'app/models.py#read_token', 'app/models.py#load_user', 'app/__init__.py', 'app/email.py',
        'config.py', 'app/templates/base.html', 'app/templates/auth/')
# roles and permissions: chapter 9
ROLES = ('app/models.py#Permission', 'app/models.py#Role', 'app/models.py#User',
         'app/models.py#AnonymousUser', 'app/decorators.py', 'app/main/__init__.py',
         'app/main/errors.py', 'app/templates/403.html', 'manage.py#make_shell_context',
         'config.py')
# profiles: chapter 10
PROFILES = ('app/models.py#User', 'app/main/views.py', 'app/main/forms.py',
            'app/auth/views.py#before_request', 'app/decorators.py', 'app/templates/user.html',
            'app/templates/edit_profile.html', 'app/templates/base.html')
# posts: chapter 11
POSTS = ('app/models.py#Post', 'app/models.py#User', 'app/main/views.py', 'app/main/forms.py',
         'app/templates/index.html', 'app/templates/user.html', 'app/templates/_posts.html',
         'config.py')
