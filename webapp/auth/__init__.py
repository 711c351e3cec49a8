"""Sign-in, sign-out, invitations and the roles that guard every route."""
