"""Enrich: Articles in, Articles with people, organisations, places, topics and a summary out.

`ner` finds names per article, `entities` cleans and merges them across the corpus, `topics`
picks subjects, `summary` the lead; `corpus` runs the per-article map and the corpus reduce.
"""
