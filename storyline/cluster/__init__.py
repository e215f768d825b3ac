"""Step 6, cluster: posts that report the same development become one story.

    embed        sentence vectors (all-MiniLM-L6-v2, int8 ONNX on the CPU), loaded once per process
    stories      incremental clustering of posts into stories with stable ids
    duplicates   near-identical copies (syndication, re-posts), not independent sources
"""
