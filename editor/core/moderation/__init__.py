"""Comment moderation, without Qt: intake rules, the learned spam filter, queue queries,
moderator actions with undo, retention, and the spam-eval protocol."""
