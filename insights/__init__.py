"""Retention insight for staff (issue 19): above engagement, below content."""
