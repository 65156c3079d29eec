"""Articles: listing, drafting, revisions (no Qt)."""
