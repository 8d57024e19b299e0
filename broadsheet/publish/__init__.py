"""Publish: a built output/ in, a checked site on a static host out.

`checks` runs the pre-deploy checks, `deploy` publishes to a directory, rsync or git target
named in `settings` (deploy.toml), `audit` scores pages with Lighthouse.
"""
