import { describe, expect, it } from "vitest";
import { age, categoryLabel, percent, shortSha, strongestCategory } from "./format";

describe("format", () => {
  const now = new Date("2026-11-23T12:00:00Z");
  it("ages in the largest sensible unit", () => {
    expect(age("2026-11-23T11:59:30Z", now)).toBe("now");
    expect(age("2026-11-23T11:15:00Z", now)).toBe("45m");
    expect(age("2026-11-22T12:00:00Z", now)).toBe("24h");
    expect(age("2026-11-13T12:00:00Z", now)).toBe("10d");
    expect(age("2026-05-23T12:00:00Z", now)).toBe("6mo");
    expect(age("2020-11-23T12:00:00Z", now)).toBe("6y");
    expect(age(null, now)).toBe("—");
    expect(age("not a date", now)).toBe("—");
    expect(age("2027-01-01T00:00:00Z", now)).toBe("now");
  });
  it("percentages are clamped and rounded", () => {
    expect(percent(0.934)).toBe("93%");
    expect(percent(1.2)).toBe("100%");
    expect(percent(-1)).toBe("0%");
    expect(percent(null)).toBe("—");
    expect(percent(Number.NaN)).toBe("—");
  });
  it("names categories for people", () => {
    expect(categoryLabel("COMPETING_IMPLEMENTATION")).toBe("Competing");
    expect(categoryLabel("SOMETHING_NEW")).toBe("SOMETHING_NEW");
    expect(categoryLabel(null)).toBe("—");
    expect(strongestCategory(["RELATED", "SAME_FEATURE"])).toBe("SAME_FEATURE");
    expect(strongestCategory([])).toBeNull();
    expect(shortSha("0123456789abcdef")).toBe("0123456");
  });
});
