-- source ads (trino), days 2024-05-31 … 2024-06-03 (exclusive), Asia/Shanghai
SELECT
  "t3"."date",
  "t3"."plan",
  "t3"."channel",
  "t3"."region",
  SUM("t3"."cost") AS "cost",
  SUM("t3"."impressions") AS "impressions",
  MAX("t3"."followers") FILTER(WHERE
    "t3"."_mxt_at" = "t3"."_mxt_latest_followers") AS "followers",
  SUM("t3"."brand_index") AS "brand_index",
  MAX("t3"."peak") AS "peak"
FROM (
  SELECT
    "t2"."date",
    "t2"."plan",
    "t2"."channel",
    "t2"."region",
    "t2"."cost",
    "t2"."impressions",
    "t2"."followers",
    "t2"."brand_index",
    "t2"."peak",
    "t2"."_mxt_at",
    MAX(IF("t2"."followers" IS NOT NULL, "t2"."_mxt_at", NULL)) OVER (
      PARTITION BY "t2"."date", "t2"."plan", "t2"."channel", "t2"."region"
      ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
    ) AS "_mxt_latest_followers"
  FROM (
    SELECT
      DATE(AT_TIMEZONE("t1"."ts", 'Asia/Shanghai')) AS "date",
      "t1"."campaign" AS "plan",
      "t1"."media" AS "channel",
      "t1"."region",
      "t1"."spend" AS "cost",
      "t1"."imps" AS "impressions",
      "t1"."fans" AS "followers",
      "t1"."idx" AS "brand_index",
      "t1"."online" AS "peak",
      "t1"."ts" AS "_mxt_at"
    FROM (
      SELECT
        *
      FROM "public"."ad_rows" AS "t0"
      WHERE
        "t0"."ts" >= CAST(FROM_ISO8601_TIMESTAMP('2024-05-30T16:00:00+00:00') AS TIMESTAMP WITH TIME ZONE)
        AND "t0"."ts" < CAST(FROM_ISO8601_TIMESTAMP('2024-06-02T16:00:00+00:00') AS TIMESTAMP WITH TIME ZONE)
    ) AS "t1"
  ) AS "t2"
) AS "t3"
GROUP BY
  1,
  2,
  3,
  4
