-- Partial responses added beside the imported ones (as the web and terminal leave them), for the
-- --include-partial golden outputs: answered up to some point, dated by their last save.
INSERT INTO responses(id, questionnaire_version_id, status, mode, administration, language, borough, ward, position, started_at, updated_at)
VALUES (100001, 1, 'partial', 'web', 'self', 'en', 'Hackney', 'Ward 3', 'local_sat', '2025-05-02T09:00:00.000Z', '2025-05-02T09:05:00.000Z'),
       (100002, 1, 'partial', 'terminal', 'interviewer', 'en', 'Camden', NULL, 'info_sat', '2025-06-11T09:00:00.000Z', '2025-06-12T10:00:00.000Z'),
       (100003, 1, 'partial', 'web', 'self', 'cy', NULL, NULL, 'contact_sat', '2026-01-20T09:00:00.000Z', '2026-01-20T09:01:00.000Z');
INSERT INTO answers(response_id, question_id, ordinal, value) VALUES
  (100001, 'how_reported', 0, 'online'), (100001, 'contact_sat', 0, 'very_satisfied'), (100001, 'incident_sat', 0, 'neither'),
  (100001, 'info_sat', 0, 'fairly_satisfied'),
  (100002, 'how_reported', 0, 'phone_101'), (100002, 'contact_sat', 0, 'dont_know'), (100002, 'incident_sat', 0, 'very_dissatisfied'),
  (100003, 'how_reported', 0, 'phone_999');
