"""Table shapes as earlier migrations made them, frozen: a new database replays the same
history an old one went through (migrations.py). Never edit a shape here once shipped."""

from __future__ import annotations

import sqlalchemy as sa

from .schema import IsoDateTime


def v1_enrichment_tables() -> list[sa.Table]:
    """The enrichment tables of migration 1 (replaced by migration 2; never filled)."""
    meta = sa.MetaData()
    sa.Table("posts", meta, sa.Column("id", sa.Text, primary_key=True))  # FK target only

    def child(name: str, *columns: sa.Column) -> sa.Table:
        return sa.Table(
            name,
            meta,
            sa.Column("post_id", sa.Text, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
            sa.Column("ordinal", sa.Integer, primary_key=True, autoincrement=False),
            *columns,
        )

    return [
        child("post_entities", sa.Column("text", sa.Text, nullable=False), sa.Column("entity_id", sa.Text),
              sa.Column("start", sa.Integer, nullable=False), sa.Column("end", sa.Integer, nullable=False),
              sa.Column("type", sa.Text, nullable=False)),
        child("post_quotes", sa.Column("text", sa.Text, nullable=False), sa.Column("speaker", sa.Text),
              sa.Column("speaker_as_written", sa.Text), sa.Column("cue", sa.Text),
              sa.Column("kind", sa.Text, nullable=False)),
        child("post_quantities", sa.Column("text", sa.Text, nullable=False), sa.Column("value", sa.Double),
              sa.Column("unit", sa.Text), sa.Column("what", sa.Text), sa.Column("qualifier", sa.Text),
              sa.Column("currency", sa.Text)),
        child("post_times", sa.Column("text", sa.Text, nullable=False), sa.Column("start", IsoDateTime),
              sa.Column("end", IsoDateTime), sa.Column("anchor", IsoDateTime)),
        child("post_events", sa.Column("actor", sa.Text), sa.Column("action", sa.Text, nullable=False),
              sa.Column("target", sa.Text), sa.Column("modality", sa.Text, nullable=False),
              sa.Column("score", sa.Double, nullable=False), sa.Column("text", sa.Text, nullable=False)),
    ]
