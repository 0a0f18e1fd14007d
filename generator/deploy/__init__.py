"""`speechsite deploy`: publish a fresh, checked build to static hosting.

The stages, one module each: `targets` (where to publish, from site.yaml or the command line),
`source` (is the project committed, and at which commit), `linkcheck` (no broken internal link
or missing asset in the build), `manifest` (what changed between two sets of files), then one
module per kind of target — `git_target` (a branch such as gh-pages, via ghp-import),
`dir_target` (a local folder) and `rsync_target` (an rsync destination) — and `publish`, which
runs them in order.
"""
