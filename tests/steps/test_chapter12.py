"""Chapter 12: users follow each other. In-process, wherever a step can change it."""
import pytest

import depends
from accounts import add_user


def follow_rows(models, db):
    """The follows table as (follower's username, followed's username) pairs."""
    return sorted((f.follower.username, f.followed.username)
                  for f in db.session.scalars(db.select(models.Follow)))


# 12a: the Follow model ----------------------------------------------------------------------

@pytest.mark.steps('12a', touching=depends.FOLLOWS)
def test_following_goes_one_way_and_is_kept_once(models, db, roles):
    john, susan = add_user(models, db), add_user(models, db, email='susan@example.com',
                                                 username='susan')
    john.follow(susan)
    john.follow(susan)
    db.session.commit()
    assert follow_rows(models, db)[-1:] == [('john', 'susan')]
    assert john.is_following(susan) and susan.is_followed_by(john)
    assert not susan.is_following(john) and not john.is_followed_by(susan)
    # both sides are queries (lazy='dynamic'), refined before they run
    assert [f.followed for f in john.followed.filter_by(followed_id=susan.id)] == [susan]
    assert [f.follower for f in susan.followers.filter_by(follower_id=john.id)] == [john]
    susan.unfollow(john)  # not followed: nothing happens
    john.unfollow(susan)
    db.session.commit()
    assert not john.is_following(susan) and ('john', 'susan') not in follow_rows(models, db)


@pytest.mark.steps('12a', touching=depends.FOLLOWS)
def test_deleting_a_user_deletes_their_follows_both_ways(models, db, roles):
    john = add_user(models, db)
    susan = add_user(models, db, email='susan@example.com', username='susan')
    david = add_user(models, db, email='david@example.com', username='david')
    john.follow(susan)
    susan.follow(john)
    david.follow(john)
    db.session.commit()
    db.session.delete(john)
    db.session.commit()
    assert follow_rows(models, db) == []  # john's three rows went with him
    assert (susan.followers.count(), susan.followed.count(), david.followed.count()) == (0, 0, 0)
    tables = db.inspect(db.engine)
    assert tables.get_pk_constraint('follows')['constrained_columns'] == ['follower_id',
                                                                          'followed_id']
