"""jobmatch: pair youths with first jobs under the Danish rules for working minors."""
