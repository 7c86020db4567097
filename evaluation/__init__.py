"""Evaluation of understanding on questions the parser was not written from (issue 11)."""
