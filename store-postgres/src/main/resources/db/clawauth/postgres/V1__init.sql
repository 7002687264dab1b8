-- One row per agent: its version (moved by every write, and announced with NOTIFY) and the
-- top-level fields of its auth-profiles.json-shaped document other than profiles and usageStats
-- (order, lastGood, fields Clawauth does not know), with null placeholders keeping their place.
CREATE TABLE clawauth_agents (
  agent_id   text PRIMARY KEY,
  version    bigint NOT NULL DEFAULT 0,
  doc        json NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- A profile: its fields in their order, the secret ones set to null, and those secrets sealed
-- with AES-256-GCM under the key key_id names.
CREATE TABLE clawauth_profiles (
  agent_id   text NOT NULL REFERENCES clawauth_agents ON DELETE CASCADE,
  profile_id text NOT NULL,
  position   integer NOT NULL,
  body       json NOT NULL,
  sealed     bytea,
  key_id     text,
  PRIMARY KEY (agent_id, profile_id)
);

-- Usage stats and cooldowns, one row per profile id (an entry may outlive its profile, as in the file).
CREATE TABLE clawauth_usage (
  agent_id   text NOT NULL REFERENCES clawauth_agents ON DELETE CASCADE,
  profile_id text NOT NULL,
  position   integer NOT NULL,
  stats      json NOT NULL,
  PRIMARY KEY (agent_id, profile_id)
);
