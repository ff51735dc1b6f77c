/** The URL of an image at the allowed width nearest to the one asked for (ties go wider). */
export function renditionUrl(template: string, widths: number[], url: string, width: number): string {
  const nearest = widths.reduce((best, w) =>
    Math.abs(w - width) < Math.abs(best - width) || (Math.abs(w - width) === Math.abs(best - width) && w > best)
      ? w
      : best,
  );
  let out = template.replace("{width}", String(nearest));
  // A template that appends a query string must not add a second "?".
  if (url.includes("?")) out = out.replace("{url}?", "{url}&");
  return out.replace("{url}", url);
}
