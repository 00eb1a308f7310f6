-- Orleans ADO.NET contract for PostgreSQL: the query catalogue, membership (clustering) and grain storage.
-- Every statement is idempotent; the bootstrapper runs this script under an advisory lock so that
-- silos starting together apply it one after another.
-- Parameters arrive untyped from the providers, hence the explicit casts.

CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey  varchar(64)   NOT NULL PRIMARY KEY,
    querytext varchar(8000) NOT NULL
);

-- Membership: one version row per cluster, bumped by every membership write (optimistic concurrency).
CREATE TABLE IF NOT EXISTS orleansmembershipversiontable
(
    deploymentid varchar(150)   NOT NULL PRIMARY KEY,
    timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    version      integer        NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS orleansmembershiptable
(
    deploymentid varchar(150)   NOT NULL REFERENCES orleansmembershipversiontable (deploymentid),
    address      varchar(45)    NOT NULL,
    port         integer        NOT NULL,
    generation   integer        NOT NULL,
    siloname     varchar(150)   NOT NULL,
    hostname     varchar(150)   NOT NULL,
    status       integer        NOT NULL,
    proxyport    integer        NULL,
    suspecttimes varchar(8000)  NULL,
    starttime    timestamptz(3) NOT NULL,
    iamalivetime timestamptz(3) NOT NULL,
    PRIMARY KEY (deploymentid, address, port, generation)
);

-- Grain state. A missing key extension is stored as '' so that the primary key can cover it.
CREATE TABLE IF NOT EXISTS orleansstorage
(
    serviceid              varchar(150) NOT NULL,
    graintypestring        varchar(512) NOT NULL,
    grainidn0              bigint       NOT NULL,
    grainidn1              bigint       NOT NULL,
    grainidextensionstring varchar(512) NOT NULL DEFAULT '',
    graintypehash          integer      NOT NULL,
    grainidhash            integer      NOT NULL,
    payloadbinary          bytea        NULL,
    modifiedon             timestamptz  NOT NULL DEFAULT now(),
    version                integer      NOT NULL,
    PRIMARY KEY (serviceid, graintypestring, grainidn0, grainidn1, grainidextensionstring)
);

INSERT INTO orleansquery (querykey, querytext) VALUES

-- Clustering ------------------------------------------------------------------------------------

('InsertMembershipVersionKey', $q$
WITH inserted AS (
    INSERT INTO orleansmembershipversiontable (deploymentid)
    VALUES (@DeploymentId::varchar)
    ON CONFLICT (deploymentid) DO NOTHING
    RETURNING 1
)
SELECT count(*) > 0 FROM inserted;
$q$),

-- The version row is locked first, so the row insert and the version bump succeed or fail together.
('InsertMembershipKey', $q$
WITH locked AS (
    SELECT deploymentid FROM orleansmembershipversiontable
    WHERE deploymentid = @DeploymentId::varchar AND version = @Version::integer
    FOR UPDATE
), inserted AS (
    INSERT INTO orleansmembershiptable
        (deploymentid, address, port, generation, siloname, hostname, status, proxyport, starttime, iamalivetime)
    SELECT deploymentid, @Address::varchar, @Port::integer, @Generation::integer, @SiloName::varchar,
           @HostName::varchar, @Status::integer, @ProxyPort::integer, @StartTime::timestamptz, @IAmAliveTime::timestamptz
    FROM locked
    ON CONFLICT DO NOTHING
    RETURNING deploymentid
), bumped AS (
    UPDATE orleansmembershipversiontable SET version = version + 1, timestamp = now()
    WHERE deploymentid IN (SELECT deploymentid FROM inserted)
    RETURNING 1
)
SELECT count(*) > 0 FROM bumped;
$q$),

('UpdateMembershipKey', $q$
WITH locked AS (
    SELECT deploymentid FROM orleansmembershipversiontable
    WHERE deploymentid = @DeploymentId::varchar AND version = @Version::integer
    FOR UPDATE
), updated AS (
    UPDATE orleansmembershiptable m
    SET status = @Status::integer, suspecttimes = @SuspectTimes::varchar, iamalivetime = @IAmAliveTime::timestamptz
    FROM locked
    WHERE m.deploymentid = locked.deploymentid
      AND m.address = @Address::varchar AND m.port = @Port::integer AND m.generation = @Generation::integer
    RETURNING m.deploymentid
), bumped AS (
    UPDATE orleansmembershipversiontable SET version = version + 1, timestamp = now()
    WHERE deploymentid IN (SELECT deploymentid FROM updated)
    RETURNING 1
)
SELECT count(*) > 0 FROM bumped;
$q$),

('UpdateIAmAlivetimeKey', $q$
UPDATE orleansmembershiptable SET iamalivetime = @IAmAliveTime::timestamptz
WHERE deploymentid = @DeploymentId::varchar AND address = @Address::varchar
  AND port = @Port::integer AND generation = @Generation::integer;
$q$),

-- The outer join returns the version row even when the silo has no row yet.
('MembershipReadRowKey', $q$
SELECT v.deploymentid AS "DeploymentId", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
       m.siloname AS "SiloName", m.hostname AS "HostName", m.status AS "Status", m.proxyport AS "ProxyPort",
       m.suspecttimes AS "SuspectTimes", m.starttime AS "StartTime", m.iamalivetime AS "IAmAliveTime",
       v.version AS "Version"
FROM orleansmembershipversiontable v
LEFT JOIN orleansmembershiptable m
       ON m.deploymentid = v.deploymentid
      AND m.address = @Address::varchar AND m.port = @Port::integer AND m.generation = @Generation::integer
WHERE v.deploymentid = @DeploymentId::varchar;
$q$),

('MembershipReadAllKey', $q$
SELECT v.deploymentid AS "DeploymentId", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
       m.siloname AS "SiloName", m.hostname AS "HostName", m.status AS "Status", m.proxyport AS "ProxyPort",
       m.suspecttimes AS "SuspectTimes", m.starttime AS "StartTime", m.iamalivetime AS "IAmAliveTime",
       v.version AS "Version"
FROM orleansmembershipversiontable v
LEFT JOIN orleansmembershiptable m ON m.deploymentid = v.deploymentid
WHERE v.deploymentid = @DeploymentId::varchar;
$q$),

('GatewaysQueryKey', $q$
SELECT address AS "Address", proxyport AS "ProxyPort", generation AS "Generation"
FROM orleansmembershiptable
WHERE deploymentid = @DeploymentId::varchar AND status = @Status::integer AND proxyport > 0;
$q$),

('DeleteMembershipTableEntriesKey', $q$
DELETE FROM orleansmembershiptable WHERE deploymentid = @DeploymentId::varchar;
DELETE FROM orleansmembershipversiontable WHERE deploymentid = @DeploymentId::varchar;
$q$),

-- Only rows of silos declared dead (status 6) are ever removed.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleansmembershiptable
WHERE deploymentid = @DeploymentId::varchar AND iamalivetime < @IAmAliveTime::timestamptz AND status = 6;
$q$),

-- Grain storage ---------------------------------------------------------------------------------

('ReadFromStorageKey', $q$
SELECT payloadbinary AS "PayloadBinary", version AS "Version"
FROM orleansstorage
WHERE serviceid = @ServiceId::varchar AND graintypestring = @GrainTypeString::varchar
  AND grainidn0 = @GrainIdN0::bigint AND grainidn1 = @GrainIdN1::bigint
  AND grainidextensionstring = COALESCE(@GrainIdExtensionString::varchar, '');
$q$),

-- A null version means the grain has never seen a stored row: insert, and lose to any concurrent insert.
-- Otherwise update only the version that was read. Returning NULL tells the provider it lost the race.
('WriteToStorageKey', $q$
WITH updated AS (
    UPDATE orleansstorage
    SET payloadbinary = @PayloadBinary::bytea, modifiedon = now(), version = version + 1
    WHERE @GrainStateVersion::integer IS NOT NULL AND version = @GrainStateVersion::integer
      AND serviceid = @ServiceId::varchar AND graintypestring = @GrainTypeString::varchar
      AND grainidn0 = @GrainIdN0::bigint AND grainidn1 = @GrainIdN1::bigint
      AND grainidextensionstring = COALESCE(@GrainIdExtensionString::varchar, '')
    RETURNING version
), inserted AS (
    INSERT INTO orleansstorage
        (serviceid, graintypestring, grainidn0, grainidn1, grainidextensionstring, graintypehash, grainidhash, payloadbinary, version)
    SELECT @ServiceId::varchar, @GrainTypeString::varchar, @GrainIdN0::bigint, @GrainIdN1::bigint,
           COALESCE(@GrainIdExtensionString::varchar, ''), @GrainTypeHash::integer, @GrainIdHash::integer, @PayloadBinary::bytea, 1
    WHERE @GrainStateVersion::integer IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version
)
SELECT COALESCE((SELECT version FROM updated), (SELECT version FROM inserted)) AS "NewGrainStateVersion";
$q$),

('ClearStorageKey', $q$
UPDATE orleansstorage
SET payloadbinary = NULL, modifiedon = now(), version = version + 1
WHERE version = @GrainStateVersion::integer
  AND serviceid = @ServiceId::varchar AND graintypestring = @GrainTypeString::varchar
  AND grainidn0 = @GrainIdN0::bigint AND grainidn1 = @GrainIdN1::bigint
  AND grainidextensionstring = COALESCE(@GrainIdExtensionString::varchar, '')
RETURNING version AS "NewGrainStateVersion";
$q$)

ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
