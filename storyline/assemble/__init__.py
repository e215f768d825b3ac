"""assemble: stories and posts into what people read — for now the merged post timeline;
stories, conflicts, the calendar and key points arrive with the cluster stage."""
