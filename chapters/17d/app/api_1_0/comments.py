from flask import current_app, g, jsonify, request, url_for

from . import api
from .decorators import permission_required
from .pagination import paginated
from .. import db
from ..models import Comment, Permission, Post


@api.route('/comments/')
def get_comments():
    return paginated(Comment.query.order_by(Comment.timestamp.desc(), Comment.id.desc()),
                     'api.get_comments', 'comments',
                     current_app.config['FLASKY_COMMENTS_PER_PAGE'])


@api.route('/comments/<int:id>')
def get_comment(id):
    comment = db.get_or_404(Comment, id)
    return jsonify(comment.to_json())


@api.route('/posts/<int:id>/comments/')
def get_post_comments(id):
    post = db.get_or_404(Post, id)
    return paginated(post.comments.order_by(Comment.timestamp.asc(), Comment.id.asc()),
                     'api.get_post_comments', 'comments',
                     current_app.config['FLASKY_COMMENTS_PER_PAGE'], id=id)


@api.route('/posts/<int:id>/comments/', methods=['POST'])
@permission_required(Permission.COMMENT)
def new_post_comment(id):
    post = db.get_or_404(Post, id)
    comment = Comment.from_json(request.get_json(silent=True))
    comment.author = g.current_user
    comment.post = post
    db.session.add(comment)
    db.session.commit()
    return jsonify(comment.to_json()), 201, \
        {'Location': url_for('api.get_comment', id=comment.id, _external=True)}
