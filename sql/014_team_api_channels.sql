-- Every team has its API channel from the start (README "Scaling out").
--
-- The channel that API-made sessions belong to (platform 'api', no
-- chatbot) used to be created by a team's first such session, under a lock
-- of the team row. On Galera that lock is local to a node: when first
-- sessions arrived through several nodes at once, the inserts met in
-- replication and the cluster stalled until innodb_lock_wait_timeout.
-- Now `confabctl team create` makes the channel in the team's own
-- transaction (store_team_create), and this migration gives one to every
-- team that has none yet. The on-demand path remains only for a team
-- inserted by hand in SQL.
INSERT INTO experiment_channels (team_id, platform, name)
SELECT t.id, 'api', CONCAT(t.slug, '-api-channel')
  FROM teams t
 WHERE NOT EXISTS (SELECT 1 FROM experiment_channels c
                    WHERE c.team_id = t.id AND c.platform = 'api'
                      AND c.experiment_id IS NULL AND c.deleted = 0);
