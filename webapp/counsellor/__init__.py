"""The counsellor's pages: the own youths, their onboarding, timeline, notes and milestones."""
