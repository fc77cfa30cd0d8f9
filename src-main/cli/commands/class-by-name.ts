import { UserError } from '../command';

/** A class's id from its name (any case), or a sentence listing the classes there are. */
export function classIdByName(classes: { id: number; name: string }[], name: string): number {
  const wanted = name.trim().toLowerCase();
  const found = classes.find((c) => c.name.toLowerCase() === wanted);
  if (!found) {
    throw new UserError(
      `there is no class "${name}"; the classes are: ${classes.map((c) => c.name).join(', ')}.`,
    );
  }
  return found.id;
}
