"""What people say about albums. The reviews issue fills this app."""
