from flask import jsonify, request, url_for


def paginated(query, endpoint, key, per_page, **values):
    """One page of `query` (?page=N) as JSON: its items under `key`, the addresses of the
    pages before and after it (or null), and how many items there are in all."""
    # past the last page is an empty list, not an error; a page beyond any database's
    # integers is kept to one that is merely past the last
    page = min(request.args.get('page', 1, type=int), 2 ** 31)
    pagination = query.paginate(page=page, per_page=per_page, error_out=False)
    prev = next = None
    if pagination.has_prev:
        prev = url_for(endpoint, page=pagination.page - 1, _external=True, **values)
    if pagination.has_next:
        next = url_for(endpoint, page=pagination.page + 1, _external=True, **values)
    return jsonify({key: [item.to_json() for item in pagination.items],
                    'prev': prev, 'next': next, 'count': pagination.total})
