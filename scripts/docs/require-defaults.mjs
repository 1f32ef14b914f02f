// TypeDoc plugin (loaded by typedoc.json): every optional property of a public `…Props` or `…Options`
// interface must say, with `@default`, what leaving it out means. TypeDoc's own notDocumented check
// only asks for some comment; a user reading the reference needs the default (and its unit).
// Reported as validation warnings, which typedoc.json turns into a failing exit code.
import { Application, ReflectionKind } from "typedoc";

/** @param {Application} app */
export function load(app) {
  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    for (const iface of project.getReflectionsByKind(ReflectionKind.Interface)) {
      if (!/(Props|Options)$/.test(iface.name)) continue;
      for (const prop of iface.children ?? []) {
        if (!prop.kindOf(ReflectionKind.Property) || !prop.flags.isOptional) continue;
        const comment = prop.comment;
        if (comment?.getTag("@default") !== undefined) continue;
        if (comment?.getTag("@defaultValue") !== undefined) continue;
        app.logger.warn(
          `${prop.getFriendlyFullName()} is optional, but its TSDoc has no @default saying what omitting it means`,
        );
      }
    }
  });
}
