from flask import current_app, g, jsonify, request, url_for

from . import api
from .decorators import permission_required
from .errors import forbidden
from .pagination import paginated
from .. import db
from ..models import Permission, Post


@api.route('/posts/')
def get_posts():
    return paginated(Post.query.order_by(Post.timestamp.desc()), 'api.get_posts', 'posts',
                     current_app.config['FLASKY_POSTS_PER_PAGE'])


@api.route('/posts/<int:id>')
def get_post(id):
    post = db.get_or_404(Post, id)
    return jsonify(post.to_json())


@api.route('/posts/', methods=['POST'])
@permission_required(Permission.WRITE_ARTICLES)
def new_post():
    # silent: a body that is not JSON is None here, and from_json refuses it (400)
    post = Post.from_json(request.get_json(silent=True))
    post.author = g.current_user
    db.session.add(post)
    db.session.commit()
    # 201 Created, and where the new post is
    return jsonify(post.to_json()), 201, \
        {'Location': url_for('api.get_post', id=post.id, _external=True)}


@api.route('/posts/<int:id>', methods=['PUT'])
@permission_required(Permission.WRITE_ARTICLES)
def edit_post(id):
    post = db.get_or_404(Post, id)
    if g.current_user != post.author and not g.current_user.can(Permission.ADMINISTER):
        return forbidden('Insufficient permissions')
    post.body = Post.from_json(request.get_json(silent=True)).body
    db.session.add(post)
    db.session.commit()
    return jsonify(post.to_json())
