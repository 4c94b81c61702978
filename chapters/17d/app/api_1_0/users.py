from flask import current_app, jsonify

from . import api
from .pagination import paginated
from .. import db
from ..models import Post, User


@api.route('/users/<int:id>')
def get_user(id):
    user = db.get_or_404(User, id)
    return jsonify(user.to_json())


@api.route('/users/<int:id>/posts/')
def get_user_posts(id):
    user = db.get_or_404(User, id)
    return paginated(user.posts.order_by(Post.timestamp.desc()), 'api.get_user_posts',
                     'posts', current_app.config['FLASKY_POSTS_PER_PAGE'], id=id)


@api.route('/users/<int:id>/timeline/')
def get_user_followed_posts(id):
    user = db.get_or_404(User, id)
    return paginated(user.followed_posts.order_by(Post.timestamp.desc()),
                     'api.get_user_followed_posts', 'posts',
                     current_app.config['FLASKY_POSTS_PER_PAGE'], id=id)
