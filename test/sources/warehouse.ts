// A throwaway "warehouse" database on the test server, as a loader would fill it, and a URL to
// it with a password in it (the server trusts local connections, so any password is accepted;
// the point is that it must never show up in a log line or a message).
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The password in the warehouse URL: long enough for every scrubber, unlike any other text. */
export const WAREHOUSE_PASSWORD = 'Wh-s3cret-9f2Kq';

export interface Warehouse {
  /** postgres://postgres:<password>@…/<database> */
  url: string;
  /** Runs SQL on the warehouse (as the loader would). */
  sql(text: string, params?: unknown[]): Promise<pg.QueryResult>;
  close(): Promise<void>;
}

export async function createWarehouse(serverUrl: string): Promise<Warehouse> {
  const name = `warehouse_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(serverUrl);
  u.password = WAREHOUSE_PASSWORD;
  u.pathname = `/${name}`;
  const url = u.toString();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    url,
    sql: (text, params) => client.query(text, params),
    close: async () => {
      await client.end();
      const drop = new pg.Client({ connectionString: serverUrl });
      await drop.connect();
      await drop.query(`drop database if exists ${name} with (force)`);
      await drop.end();
    },
  };
}

/**
 * Google Ads campaign stats the way loaders land them: one row per day, campaign and device,
 * cost in micros. Days are counted back from `today`.
 */
export async function createCampaignStats(w: Warehouse): Promise<void> {
  await w.sql(`
    create schema ads;
    create table ads.campaign_stats (
      segments_date date not null,
      campaign_name text,
      segments_device text not null,
      metrics_cost_micros bigint,
      metrics_clicks integer,
      metrics_conversions_value numeric
    );
  `);
}
