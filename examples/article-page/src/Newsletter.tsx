import { useId, useState, type FormEvent } from "react";
import { useMutation } from "@apollo/client/react";
import { SUBSCRIBE } from "./operations";
import { stringsFor } from "./strings";

interface SubscribeData {
  subscribeNewsletter: { status: "PENDING_CONFIRMATION" | "SUBSCRIBED" };
}

/**
 * The sign-up with the site's consent text from the API. Without the box ticked nothing is
 * sent; with it, the API's answer (double opt-in: PENDING_CONFIRMATION) is shown.
 */
export function Newsletter({ consentText, language }: { consentText: string; language: string }) {
  const t = stringsFor(language);
  const id = useId();
  const [refused, setRefused] = useState<"consent" | "email" | null>(null);
  const [subscribe, { data, error, loading }] = useMutation<SubscribeData>(SUBSCRIBE);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    // The browser checks the address by the same HTML rule as the API's EmailAddress scalar.
    const email = e.currentTarget.elements.namedItem("email") as HTMLInputElement;
    if (form.get("consent") !== "yes") return setRefused("consent");
    if (!email.validity.valid) return setRefused("email");
    setRefused(null);
    subscribe({
      variables: { input: { email: String(form.get("email") ?? ""), consent: true, language } },
    }).catch(() => undefined); // shown from `error` below
  }

  const status = data?.subscribeNewsletter.status;
  return (
    <section className="newsletter" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t.newsletter}</h2>
      <form onSubmit={onSubmit} noValidate>
        <label htmlFor={`${id}-email`}>{t.email}</label>
        <input id={`${id}-email`} name="email" type="email" autoComplete="email" required />
        <p id={`${id}-consent-text`} className="consent-text">
          {consentText}
        </p>
        <label className="consent">
          <input
            name="consent"
            type="checkbox"
            value="yes"
            aria-describedby={`${id}-consent-text`}
            onChange={() => setRefused(null)}
          />{" "}
          {t.consent}
        </label>
        <button type="submit" disabled={loading}>
          {t.subscribe}
        </button>
        <div className="form-answer" aria-live="polite">
          {refused ? (
            <p role="alert" className="refused">
              {refused === "consent" ? t.consentRequired : t.invalidEmail}
            </p>
          ) : error ? (
            <p role="alert" className="error">
              {error.message}
            </p>
          ) : status ? (
            <p className="subscribed" data-status={status}>
              {t[status]}
            </p>
          ) : null}
        </div>
      </form>
    </section>
  );
}
