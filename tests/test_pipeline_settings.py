from __future__ import annotations

from datetime import date

import pytest

from storyline.errors import ConfigError, PipelineError
from storyline.pipeline import PARSE_STAGES, build_pipeline
from storyline.settings import NOT_GIVEN, build_options, database_url


def test_stages_in_a_wrong_order_fail_at_build_time():
    with pytest.raises(PipelineError, match="needs"):
        build_pipeline(["read.v1", "date.v1", "split.v1"])
    with pytest.raises(PipelineError, match="no stage named"):
        build_pipeline(["read.v1", "summarise.v9"])
    assert build_pipeline(PARSE_STAGES).signature == "read.v1,split.v1,date.v1,identify.v1"


def test_options_precedence(tmp_path):
    config = tmp_path / "storyline.toml"
    config.write_text('[storyline]\ndatabase_url = "sqlite:///file.db"\ntimeout = 5\nretries = 1\n')
    env = {"STORYLINE_TIMEOUT": "7", "STORYLINE_DATE": "2022-01-26"}
    options = build_options({"retries": NOT_GIVEN, "date": None}, env=env, config_path=config)
    assert options.database_url == "sqlite:///file.db"  # config beats default
    assert options.timeout == 7.0  # environment beats config
    assert options.retries == 1 and options.date == date(2022, 1, 26)
    options = build_options({"timeout": 3.0}, env=env, config_path=config)
    assert options.timeout == 3.0  # flags beat everything


def test_bad_config_is_a_clear_error(tmp_path):
    config = tmp_path / "storyline.toml"
    config.write_text("[storyline]\ncolour = 'blue'\n")
    with pytest.raises(ConfigError, match="unknown keys"):
        build_options({}, env={}, config_path=config)


def test_database_urls():
    assert database_url("news.db") == "sqlite:///news.db"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
