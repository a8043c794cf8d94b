-- Stored session counts for the first page of the session list (docs/API.md
-- §7.3, README "Reads and caches"): its "count" is the sum of a few rows,
-- not a COUNT(*) over every session of the team on every request.
--
-- session_counts holds, per team, the team's sessions (experiment_id = 0)
-- and each chatbot's (experiment_id = the session's experiment_id), each
-- spread over 8 slot rows (CF_SESSION_COUNT_SLOTS in src/limits.h): a
-- session is counted in slot id % 8, so concurrent creations of one team
-- touch different rows instead of queueing on one (on Galera, two nodes'
-- creations conflict only when their ids fall in the same slot; the loser's
-- transaction is run again, as for any lost certification). A reader sums the
-- slots. A slot alone means nothing, only the sum does.
--
-- The triggers move the counts in the transaction that inserts or deletes
-- the session, on whichever host or by whichever operator, so the stored
-- count is exact whenever it is read. The session triggers run AFTER the
-- row change: the insert's foreign-key checks (shared locks on the team
-- and chatbot rows) come before the count rows' exclusive locks, in the
-- order a chatbot delete takes them (chatbot row, then count rows), so the
-- two queue instead of deadlocking. Every statement touches the team row
-- (experiment_id 0) before the chatbot's: one order for all writers.
--
-- Cascaded deletes do not fire triggers in MariaDB. Sessions are removed
-- by cascade from three parents, and each is handled:
--  - teams: session_counts cascades from teams itself (its foreign key),
--    so the team's counts go with its sessions;
--  - experiments: experiments_bd_session_counts below subtracts the
--    chatbot's sessions, and its versions' (the versions cascade from the
--    working row, and their sessions with them: a version's
--    working_version_id is always the working row, one level), from the
--    team rows and drops their chatbot rows;
--  - chats: chats_bd_session_counts subtracts the chat's session (at most
--    one: experiment_sessions.chat_id is unique).
-- participants cascade no delete (experiment_sessions.participant_id is
-- ON DELETE SET NULL), and Confab itself deletes no session, chat,
-- chatbot or team: these paths are the operator's SQL.
--
-- The backfill runs after the triggers exist and overwrites (not adds):
-- InnoDB reads the sessions for INSERT ... SELECT with shared locks, so a
-- creation that commits before the read is in the read's count, and one
-- that waits for the read adds itself afterwards. Run it as every
-- migration is run, once, before the hosts are upgraded (README "Scaling
-- out").

CREATE TABLE IF NOT EXISTS session_counts (
  team_id BIGINT UNSIGNED NOT NULL,
  experiment_id BIGINT UNSIGNED NOT NULL,   -- 0: every session of the team
  slot TINYINT UNSIGNED NOT NULL,           -- session id % 8
  sessions BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (team_id, experiment_id, slot),
  KEY session_counts_experiment (experiment_id),
  CONSTRAINT fk_session_counts_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TRIGGER experiment_sessions_ai_count AFTER INSERT ON experiment_sessions FOR EACH ROW
  INSERT INTO session_counts (team_id, experiment_id, slot, sessions)
  VALUES (NEW.team_id, 0, NEW.id % 8, 1), (NEW.team_id, NEW.experiment_id, NEW.id % 8, 1)
  ON DUPLICATE KEY UPDATE sessions = sessions + 1;

CREATE TRIGGER experiment_sessions_ad_count AFTER DELETE ON experiment_sessions FOR EACH ROW
  UPDATE session_counts SET sessions = sessions - 1
  WHERE team_id = OLD.team_id AND experiment_id IN (0, OLD.experiment_id) AND slot = OLD.id % 8;

-- Confab never moves a session to another team or chatbot; an operator's
-- UPDATE that does moves its count along.
CREATE TRIGGER experiment_sessions_au_count AFTER UPDATE ON experiment_sessions FOR EACH ROW
BEGIN
  IF NOT (OLD.team_id = NEW.team_id AND OLD.experiment_id = NEW.experiment_id AND OLD.id = NEW.id) THEN
    UPDATE session_counts SET sessions = sessions - 1
    WHERE team_id = OLD.team_id AND experiment_id IN (0, OLD.experiment_id) AND slot = OLD.id % 8;
    INSERT INTO session_counts (team_id, experiment_id, slot, sessions)
    VALUES (NEW.team_id, 0, NEW.id % 8, 1), (NEW.team_id, NEW.experiment_id, NEW.id % 8, 1)
    ON DUPLICATE KEY UPDATE sessions = sessions + 1;
  END IF;
END;

CREATE TRIGGER experiments_bd_session_counts BEFORE DELETE ON experiments FOR EACH ROW
BEGIN
  UPDATE session_counts c
    JOIN (SELECT s.team_id, s.id % 8 AS slot, COUNT(*) AS n FROM experiment_sessions s
          WHERE s.experiment_id = OLD.id
             OR s.experiment_id IN (SELECT v.id FROM experiments v WHERE v.working_version_id = OLD.id)
          GROUP BY s.team_id, s.id % 8) d
      ON c.team_id = d.team_id AND c.experiment_id = 0 AND c.slot = d.slot
  SET c.sessions = c.sessions - d.n;
  DELETE FROM session_counts
  WHERE experiment_id = OLD.id
     OR experiment_id IN (SELECT v.id FROM experiments v WHERE v.working_version_id = OLD.id);
END;

CREATE TRIGGER chats_bd_session_counts BEFORE DELETE ON chats FOR EACH ROW
  UPDATE session_counts c JOIN experiment_sessions s ON s.chat_id = OLD.id
  SET c.sessions = c.sessions - 1
  WHERE c.team_id = s.team_id AND c.experiment_id IN (0, s.experiment_id) AND c.slot = s.id % 8;

INSERT INTO session_counts (team_id, experiment_id, slot, sessions)
  SELECT team_id, 0, id % 8, COUNT(*) FROM experiment_sessions GROUP BY team_id, id % 8
  UNION ALL
  SELECT team_id, experiment_id, id % 8, COUNT(*) FROM experiment_sessions GROUP BY team_id, experiment_id, id % 8
ON DUPLICATE KEY UPDATE sessions = VALUES(sessions);
