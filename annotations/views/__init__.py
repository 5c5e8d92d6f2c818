"""The HTML pages, thin: they read through selectors and write through services.

articles.py: article list and the annotation page; review.py: the review queue;
public.py: the public pages of published claims.
"""
