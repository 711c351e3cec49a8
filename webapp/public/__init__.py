"""The public board: open jobs, a job page and the "I am interested" form."""
