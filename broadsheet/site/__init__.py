"""Site: content/ in, a built and searchable output/ out.

`build` runs Pelican with the project plugin, `search` indexes the output with Pagefind, `pages`
reads built pages, `hosting` prepares a publish build for static hosts (headers, fingerprints).
"""
