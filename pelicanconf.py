"""Pelican settings for the Broadsheet site (local preview: relative URLs, no feeds' domain)."""

SITENAME = "Broadsheet"
SITESUBTITLE = "A digest of the scraped news"
SITEURL = ""
RELATIVE_URLS = True

PATH = "content"
ARTICLE_PATHS = ["articles"]
# Sections come only from the front-matter, never from the YYYY/MM/DD folders
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = "News"
PAGE_PATHS = ["pages"]
STATIC_PATHS: list[str] = []
OUTPUT_PATH = "output"
DELETE_OUTPUT_DIRECTORY = False  # pagefind/ and precompressed files are managed by the build
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%-d %B %Y"

# The summary stays plain text (Pelican would render it as Markdown, i.e. as HTML): templates
# autoescape it like every other scraped field.
FORMATTED_FIELDS: list[str] = []

THEME = "theme"
# Autoescape every template (Pelican leaves it off): scraped titles, bylines and captions are
# untrusted text. Only Markdown that ingest escaped (article.content) is marked |safe.
JINJA_ENVIRONMENT = {
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "extensions": [],
}
PLUGIN_PATHS = ["plugins"]
# Listing PLUGINS turns off namespace-plugin discovery, so each one is named here.
PLUGINS = ["pelican.plugins.yaml_metadata", "broadsheet_pages"]

# Articles live at /YYYY/MM/DD/<slug>/ (DESIGN.md: URLs are stable)
ARTICLE_URL = "{date:%Y}/{date:%m}/{date:%d}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{date:%d}/{slug}/index.html"
DRAFT_URL = "drafts/{slug}/"
DRAFT_SAVE_AS = "drafts/{slug}/index.html"
CATEGORY_URL = "sections/{slug}/"
CATEGORY_SAVE_AS = "sections/{slug}/index.html"
CATEGORIES_URL = "sections/"
CATEGORIES_SAVE_AS = "sections/index.html"
AUTHOR_URL = "authors/{slug}/"
AUTHOR_SAVE_AS = "authors/{slug}/index.html"
AUTHORS_URL = "authors/"
AUTHORS_SAVE_AS = "authors/index.html"
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
ARCHIVES_SAVE_AS = "archives/index.html"
DIRECT_TEMPLATES = ["index", "categories", "authors", "archives", "search"]
SEARCH_URL = "search/"
SEARCH_SAVE_AS = "search/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""

DEFAULT_PAGINATION = 30
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Atom feeds: the whole site and each section here; each source, topic and entity with a page
# gets one from the broadsheet_pages plugin (BROADSHEET_FEED_URL). Links in feeds are absolute
# once SITEURL (or FEED_DOMAIN) is set for publishing.
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "sections/{slug}/feed.atom.xml"
FEED_ATOM = None
FEED_RSS = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
FEED_MAX_ITEMS = 50

CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
# Pelican saves its content cache on every run; gzip (at level 9) took seconds of a rebuild
GZIP_CACHE = False
CACHE_PATH = ".cache/pelican"
