/** The "Examples:" block every command's --help ends with (a test checks each option appears in one). */
export const examples = (...lines: string[]) => `\nExamples:\n${lines.map((l) => `  ${l}`).join("\n")}\n`;
