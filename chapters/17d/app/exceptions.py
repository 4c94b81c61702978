class ValidationError(ValueError):
    """Data sent to the API that cannot make a post or a comment (from_json); the API
    answers it with 400 Bad Request and the message."""
