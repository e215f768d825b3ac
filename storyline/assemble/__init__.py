"""assemble: stories and posts into what people read.

    brief         per-day key points across outlets, each bullet with its posts and stories
    calendar      announced future events, merged across outlets (announcement.py: the
                  sentence rules; ics.py: the iCalendar file)
    conflicts     figures of the same thing that outlets report differently; a figure's history
    export        stories as JSON Lines, CSV, Markdown, schema.org LiveBlogPosting

The timeline itself is the stored stories in the order they happened (store/stories.py,
cli/stories.py).
"""
