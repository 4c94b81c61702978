"""What a step test depends on: the paths for @pytest.mark.steps(first, touching=...).

A test marked so runs on its first step, on every later step whose changes (steps.toml) touch
one of the paths (a file, a folder, or with '#' one top-level function, class or variable of
a Python file, or one member of a class: 'app/models.py#User.confirm'), and on the last step
of its range (the newest step, for an open range). A step that touches none of them has
those files exactly as the step before it, where the test ran; the newest step, where every
test runs, catches what a dependency left out here would let through. Each new step costs a
test only where it can change the test's outcome: with 58 steps, running every test on every
step would not fit the suite's budget (tests/README.md).
From chapter 11 on nearly every step adds to User, the views or the configuration: the lists
name the members a test uses, so that adding posts does not run the tests of logging in again.
"""


def members(path, cls, *names):
    """'path#cls.name' for each name: the members of a class that a test depends on."""
    return tuple('{}#{}.{}'.format(path, cls, name) for name in names)


# the configuration that accounts, mail and roles read
MAIL_CONFIG = members('config.py', 'Config', 'SECRET_KEY', 'MAIL_SERVER', 'MAIL_PORT',
                      'FLASKY_MAIL_SUBJECT_PREFIX', 'FLASKY_MAIL_SENDER', 'FLASKY_ADMIN') + \
    ('config.py#TestingConfig',)
# how the application is made, configured and started: config.py's classes, but not the
# settings of one feature that later chapters add to Config (FLASKY_POSTS_PER_PAGE, ...)
STARTUP = ('hello.py', 'manage.py', 'app/__init__.py', 'requirements.txt', 'requirements/',
           'config.py#basedir', 'config.py#Config.init_app', 'config.py#DevelopmentConfig',
           'config.py#ProductionConfig', 'config.py#config') + MAIL_CONFIG
# manage.py's application and its command-line manager: what `python manage.py runserver`,
# `--help` and `shell` run on (a new command or a name added to the shell changes neither)
MANAGER = ('manage.py#app', 'manage.py#manager')
# how the step is made and served (the in-process tests of STARTUP import all of manage.py
# on each step that changes it): not the tests' configuration, nor what only a developer
# installs, nor the production configurations and their names in config.py's dict (chapter
# 17 adds them; runserver serves the development configuration). Nor the requirements
# files: every step runs in the one environment of the repository's requirements.txt, and
# test_chapter07 checks each step's pins against it where they change
SERVING = tuple(path for path in STARTUP if path not in (
    'manage.py', 'config.py#TestingConfig', 'requirements.txt', 'requirements/',
    'config.py#ProductionConfig', 'config.py#config')) + MANAGER
# the models of chapter 5: hello.py holds them up to chapter 6
MODELS = ('hello.py', 'app/models.py#Role') + members(
    'app/models.py', 'User', '__tablename__', 'id', 'username', 'role_id', '__init__',
    '__repr__')
MIGRATIONS = ('hello.py', 'app/models.py', 'migrations/')
# what a page is made of: templates, static files, the views of the main blueprint
PAGES = ('hello.py', 'templates/', 'static/', 'app/__init__.py', 'app/templates/',
         'app/static/', 'app/main/')
# the step's own unit tests and what they test
# (they make their applications with create_app() under TestingConfig: the production
# configurations of chapter 17 do not matter)
OWN_TESTS = ('tests/', 'manage.py#test', 'config.py#Config', 'config.py#TestingConfig',
             'config.py#config', 'app/__init__.py', 'app/models.py')
# accounts: chapter 8
USER_ACCOUNT = members('app/models.py', 'User', '__init__', 'email', 'username',
                       'password_hash', 'confirmed', 'password', 'verify_password',
                       'generate_confirmation_token', 'confirm', 'generate_reset_token',
                       'reset_password', 'generate_email_change_token', 'change_email', 'ping')
AUTH = ('app/auth/', 'app/models.py#make_token', 'app/models.py#read_token',
        'app/models.py#load_user', 'app/__init__.py', 'app/email.py',
        'app/templates/base.html', 'app/templates/auth/') + USER_ACCOUNT + MAIL_CONFIG
# roles and permissions: chapter 9
ROLES = ('app/models.py#Permission', 'app/models.py#Role', 'app/models.py#AnonymousUser',
         'app/decorators.py', 'app/main/__init__.py', 'app/main/errors.py',
         'app/templates/403.html', 'config.py#Config.FLASKY_ADMIN') + members(
    'app/models.py', 'User', '__init__', 'role_id', 'can', 'is_administrator')
# profiles: chapter 10
PROFILES = ('app/main/views.py#user', 'app/main/views.py#edit_profile',
            'app/main/views.py#edit_profile_admin', 'app/main/forms.py#EditProfileForm',
            'app/main/forms.py#EditProfileAdminForm', 'app/auth/views.py#before_request',
            'app/decorators.py', 'app/templates/user.html', 'app/templates/edit_profile.html',
            'app/templates/base.html') + members(
    'app/models.py', 'User', '__init__', 'name', 'location', 'about_me', 'member_since',
    'last_seen', 'avatar_hash', 'ping', 'gravatar', 'gravatar_hash', 'change_email')
# posts: chapter 11
POSTS = ('app/models.py#Post', 'app/models.py#User.posts', 'app/main/views.py#index',
         'app/main/views.py#user', 'app/main/forms.py#PostForm', 'app/templates/index.html',
         'app/templates/user.html', 'app/templates/_posts.html', 'app/templates/_macros.html',
         'app/main/views.py#requested_page', 'app/main/views.py#post',
         'app/main/views.py#edit', 'app/templates/post.html', 'app/templates/edit_post.html',
         'config.py#Config')
# followers: chapter 12
FOLLOWS = ('app/models.py#Follow',) + members(
    'app/models.py', 'User', '__init__', 'followed', 'followers', 'follow', 'unfollow',
    'is_following', 'is_followed_by')
FOLLOW_PAGES = FOLLOWS + ('app/main/views.py#follow', 'app/main/views.py#unfollow',
                          'app/main/views.py#followers', 'app/main/views.py#followed_by',
                          'app/main/views.py#requested_page', 'app/templates/user.html',
                          'app/templates/followers.html', 'app/templates/_macros.html',
                          'app/decorators.py', 'config.py#Config.FLASKY_FOLLOWERS_PER_PAGE')
# comments: chapter 13
COMMENTS = ('app/models.py#Comment', 'app/models.py#User.comments', 'app/models.py#Post.comments',
            'app/main/views.py#post', 'app/main/views.py#requested_page',
            'app/main/forms.py#CommentForm', 'app/templates/post.html',
            'app/templates/_comments.html', 'app/templates/_posts.html',
            'app/templates/_macros.html', 'config.py#Config.FLASKY_COMMENTS_PER_PAGE')
MODERATION = COMMENTS + ('app/main/views.py#moderate', 'app/main/views.py#moderate_enable',
                         'app/main/views.py#moderate_disable', 'app/templates/moderate.html',
                         'app/templates/base.html', 'app/decorators.py',
                         'app/models.py#Role.insert_roles')
# the API: chapter 14
API = ('app/api_1_0/', 'app/exceptions.py', 'app/main/errors.py', 'app/__init__.py',
       'app/auth/views.py#before_request', 'app/models.py#make_token',
       'app/models.py#read_token', 'app/models.py#json_time', 'app/models.py#Permission',
       'app/models.py#Role.insert_roles', 'app/models.py#AnonymousUser',
       'app/models.py#Comment.disabled', 'config.py#Config.FLASKY_POSTS_PER_PAGE',
       'config.py#Config.FLASKY_COMMENTS_PER_PAGE', 'requirements/common.txt') + members(
    'app/models.py', 'User', 'generate_auth_token', 'verify_auth_token', 'to_json',
    'verify_password', 'confirmed', 'can', 'followed_posts') + members(
    'app/models.py', 'Post', 'to_json', 'from_json', 'on_changed_body') + members(
    'app/models.py', 'Comment', 'to_json', 'from_json')
