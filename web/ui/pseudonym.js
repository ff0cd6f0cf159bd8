// A random pseudonym for the pre-join name box ("Quiet Heron 27"), so nobody has to type — or
// reveal — a real name. The words come from the catalogs (translated whole: Russian adjectives
// agree with their noun's gender, so pairs are not combined freely).
import { t } from "../i18n/i18n.js";

export const PSEUDONYM_COUNT = 24;

export function randomPseudonym(random = (n) => crypto.getRandomValues(new Uint32Array(1))[0] % n) {
  const index = random(PSEUDONYM_COUNT) + 1;
  const number = random(90) + 10;
  return t("pseudonym.format", { name: t(`pseudonym.${index}`), number });
}
