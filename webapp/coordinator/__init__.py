"""The coordinator's pages: youths, registrations, employers, openings, users, onboarding."""
