from flask import (abort, current_app, flash, make_response, redirect, render_template,
                   request, url_for)
from flask_login import current_user, login_required
from flask_sqlalchemy.record_queries import get_recorded_queries

from . import main
from .forms import CommentForm, EditProfileAdminForm, EditProfileForm, PostForm
from .. import db
from ..decorators import admin_required, permission_required
from ..models import Comment, Follow, Permission, Post, Role, User


def requested_page():
    """The page a list is asked for (?page=2): the first if it is not a whole number."""
    page = request.args.get('page', 1, type=int)
    # far past any last page, and too large for the database's integers (a 500 error)
    if page > 2 ** 31:
        abort(404)
    return page


@main.after_app_request
def after_request(response):
    # after every request of the app, not only this blueprint's: a slow statement is logged
    # with where in the code it was sent from (get_debug_queries() in the book's version)
    for query in get_recorded_queries():
        if query.duration >= current_app.config['FLASKY_SLOW_DB_QUERY_TIME']:
            current_app.logger.warning(
                'Slow query: %s\nParameters: %s\nDuration: %.3f s\nLocation: %s',
                query.statement, query.parameters, query.duration, query.location)
    return response


@main.route('/', methods=['GET', 'POST'])
def index():
    form = PostForm()
    # the template hides the form from those who may not write; the server refuses them too
    if current_user.can(Permission.WRITE_ARTICLES) and form.validate_on_submit():
        # current_user is a proxy: the model wants the User object behind it
        post = Post(body=form.body.data, author=current_user._get_current_object())
        db.session.add(post)
        db.session.commit()
        # a redirect, so that reloading the page does not post it again
        return redirect(url_for('.index'))
    # the tab a logged-in user chose last time, kept in a cookie
    show_followed = False
    if current_user.is_authenticated:
        show_followed = bool(request.cookies.get('show_followed', ''))
    if show_followed:
        query = current_user.followed_posts
    else:
        query = Post.query
    page = requested_page()
    # a page that does not exist (0, or past the last) is 404 Not Found
    pagination = query.order_by(Post.timestamp.desc()).paginate(
        page=page, per_page=current_app.config['FLASKY_POSTS_PER_PAGE'])
    posts = pagination.items
    return render_template('index.html', form=form, posts=posts,
                           show_followed=show_followed, pagination=pagination)


def remember_tab(show_followed):
    """Back to the home page, with the tab chosen kept in the show_followed cookie."""
    resp = make_response(redirect(url_for('.index')))
    # a month; HttpOnly: no script of the page needs it. A GET may set it: it only chooses
    # which posts the home page lists, and changes nothing on the server
    resp.set_cookie('show_followed', '1' if show_followed else '', max_age=30 * 24 * 60 * 60,
                    httponly=True, samesite='Lax')
    return resp


@main.route('/all')
@login_required
def show_all():
    return remember_tab(False)


@main.route('/followed')
@login_required
def show_followed():
    return remember_tab(True)


@main.route('/user/<username>')
def user(username):
    # an unknown name is a page that does not exist: 404, not an empty profile
    user = User.query.filter_by(username=username).first_or_404()
    page = requested_page()
    pagination = user.posts.order_by(Post.timestamp.desc()).paginate(
        page=page, per_page=current_app.config['FLASKY_POSTS_PER_PAGE'])
    posts = pagination.items
    return render_template('user.html', user=user, posts=posts, pagination=pagination)


@main.route('/post/<int:id>', methods=['GET', 'POST'])
def post(id):
    # a post's own page, with a URL that stays the same: the link to share
    post = db.get_or_404(Post, id)
    form = CommentForm()
    per_page = current_app.config['FLASKY_COMMENTS_PER_PAGE']
    # the template shows the form only to those who may comment; the server checks too
    if current_user.can(Permission.COMMENT) and form.validate_on_submit():
        comment = Comment(body=form.body.data, post=post,
                          author=current_user._get_current_object())
        db.session.add(comment)
        db.session.commit()
        flash('Your comment has been published.')
        # the last page, where the new comment is (the book sent page=-1 for this)
        last_page = (post.comments.count() - 1) // per_page + 1
        return redirect(url_for('.post', id=post.id, page=last_page, _anchor='comments'))
    # oldest first: a conversation reads from the top
    pagination = post.comments.order_by(Comment.timestamp.asc(), Comment.id.asc()).paginate(
        page=requested_page(), per_page=per_page)
    comments = pagination.items
    # a list of one, so that _posts.html shows it as the other pages do
    return render_template('post.html', posts=[post], form=form, comments=comments,
                           pagination=pagination)


@main.route('/edit/<int:id>', methods=['GET', 'POST'])
@login_required
def edit(id):
    post = db.get_or_404(Post, id)
    # hiding the Edit link is not enough: the server refuses anyone else
    if current_user != post.author and not current_user.can(Permission.ADMINISTER):
        abort(403)
    form = PostForm()
    if form.validate_on_submit():
        post.body = form.body.data
        db.session.add(post)
        db.session.commit()
        flash('The post has been updated.')
        return redirect(url_for('.post', id=post.id))
    # the post as it is, on the first visit; a refused form keeps what was typed
    if not form.is_submitted():
        form.body.data = post.body
    return render_template('edit_post.html', form=form)


# POST only, with the form's CSRF token: a link (GET) that followed someone could be put in
# any page, an image or a mail, and would act for whoever opened it
@main.route('/follow/<username>', methods=['POST'])
@login_required
@permission_required(Permission.FOLLOW)
def follow(username):
    user = User.query.filter_by(username=username).first()
    if user is None:
        flash('Invalid user.')
        return redirect(url_for('.index'))
    if user == current_user:
        flash('You cannot follow yourself.')
    elif current_user.is_following(user):
        flash('You are already following this user.')
    else:
        current_user.follow(user)
        db.session.commit()
        flash('You are now following %s.' % username)
    return redirect(url_for('.user', username=username))


@main.route('/unfollow/<username>', methods=['POST'])
@login_required
@permission_required(Permission.FOLLOW)
def unfollow(username):
    user = User.query.filter_by(username=username).first()
    if user is None:
        flash('Invalid user.')
        return redirect(url_for('.index'))
    if user == current_user:
        flash('You cannot unfollow yourself.')
    elif not current_user.is_following(user):
        flash('You are not following this user.')
    else:
        current_user.unfollow(user)
        db.session.commit()
        flash('You are not following %s anymore.' % username)
    return redirect(url_for('.user', username=username))


@main.route('/followers/<username>')
def followers(username):
    user = User.query.filter_by(username=username).first()
    if user is None:
        flash('Invalid user.')
        return redirect(url_for('.index'))
    # newest first, so that a page holds the same people from one visit to the next
    # everyone follows themselves (12e): not worth listing
    pagination = user.followers.filter(Follow.follower_id != user.id) \
        .order_by(Follow.timestamp.desc()).paginate(
        page=requested_page(), per_page=current_app.config['FLASKY_FOLLOWERS_PER_PAGE'])
    follows = [{'user': item.follower, 'timestamp': item.timestamp}
               for item in pagination.items]
    return render_template('followers.html', user=user, title='Followers of',
                           endpoint='.followers', pagination=pagination, follows=follows)


@main.route('/followed-by/<username>')
def followed_by(username):
    user = User.query.filter_by(username=username).first()
    if user is None:
        flash('Invalid user.')
        return redirect(url_for('.index'))
    pagination = user.followed.filter(Follow.followed_id != user.id) \
        .order_by(Follow.timestamp.desc()).paginate(
        page=requested_page(), per_page=current_app.config['FLASKY_FOLLOWERS_PER_PAGE'])
    follows = [{'user': item.followed, 'timestamp': item.timestamp}
               for item in pagination.items]
    return render_template('followers.html', user=user, title='Followed by',
                           endpoint='.followed_by', pagination=pagination, follows=follows)


@main.route('/moderate')
@login_required
@permission_required(Permission.MODERATE_COMMENTS)
def moderate():
    # every comment, newest first: what a moderator has not seen yet is at the top
    page = requested_page()
    pagination = Comment.query.order_by(Comment.timestamp.desc(), Comment.id.desc()).paginate(
        page=page, per_page=current_app.config['FLASKY_COMMENTS_PER_PAGE'])
    comments = pagination.items
    return render_template('moderate.html', comments=comments, pagination=pagination,
                           page=page)


# POST with a CSRF token, as following is (the book used GET links): a link cannot hide or
# show a comment for a moderator who happens to open a page holding it
@main.route('/moderate/enable/<int:id>', methods=['POST'])
@login_required
@permission_required(Permission.MODERATE_COMMENTS)
def moderate_enable(id):
    comment = db.get_or_404(Comment, id)
    comment.disabled = False
    db.session.add(comment)
    db.session.commit()
    # back to the page the moderator was on: a whole number, so always a page of this site
    return redirect(url_for('.moderate', page=requested_page()))


@main.route('/moderate/disable/<int:id>', methods=['POST'])
@login_required
@permission_required(Permission.MODERATE_COMMENTS)
def moderate_disable(id):
    comment = db.get_or_404(Comment, id)
    comment.disabled = True
    db.session.add(comment)
    db.session.commit()
    return redirect(url_for('.moderate', page=requested_page()))


@main.route('/edit-profile', methods=['GET', 'POST'])
@login_required
def edit_profile():
    form = EditProfileForm()
    if form.validate_on_submit():
        current_user.name = form.name.data
        current_user.location = form.location.data
        current_user.about_me = form.about_me.data
        db.session.add(current_user._get_current_object())
        db.session.commit()
        flash('Your profile has been updated.')
        return redirect(url_for('.user', username=current_user.username))
    # the profile as it is, on the first visit; a refused form keeps what was typed
    if not form.is_submitted():
        form.name.data = current_user.name
        form.location.data = current_user.location
        form.about_me.data = current_user.about_me
    return render_template('edit_profile.html', form=form)


@main.route('/edit-profile/<int:id>', methods=['GET', 'POST'])
@login_required
@admin_required
def edit_profile_admin(id):
    user = db.get_or_404(User, id)
    form = EditProfileAdminForm(user=user)
    if form.validate_on_submit():
        user.email = form.email.data.lower()
        user.avatar_hash = user.gravatar_hash()
        user.username = form.username.data
        user.confirmed = form.confirmed.data
        user.role = db.session.get(Role, form.role.data)
        user.name = form.name.data
        user.location = form.location.data
        user.about_me = form.about_me.data
        db.session.add(user)
        db.session.commit()
        flash('The profile has been updated.')
        return redirect(url_for('.user', username=user.username))
    if not form.is_submitted():
        form.email.data = user.email
        form.username.data = user.username
        form.confirmed.data = user.confirmed
        form.role.data = user.role_id
        form.name.data = user.name
        form.location.data = user.location
        form.about_me.data = user.about_me
    return render_template('edit_profile.html', form=form, user=user)
