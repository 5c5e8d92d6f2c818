// Tells the server the browser's time zone (the `tz` cookie), so that a reader who has not
// chosen one sees times in their own zone from the next page on (annotations/time_zones.py).
// Zone names (Europe/Paris, America/Port-au-Prince, Etc/GMT+5) need no escaping in a cookie.
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
const cookie = document.cookie.split("; ").find((pair) => pair.startsWith("tz="));
if (zone && /^[A-Za-z0-9/_+-]+$/.test(zone) && cookie !== `tz=${zone}`) {
  const secure = location.protocol === "https:" ? "; Secure" : "";
  document.cookie = `tz=${zone}; Path=/; Max-Age=31536000; SameSite=Lax${secure}`;
}
