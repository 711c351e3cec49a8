"""The coordinators' dashboard: the housing plan's figures per area and period."""
