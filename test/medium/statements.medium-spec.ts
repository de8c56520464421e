// Every statement has a direct test: each public method of each repository (where all SQL lives)
// is named by a `describe('Repository.method')` of this tier. A new statement without one fails.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { projectRoot } from '@libs/config/project-root.js';

function files(directory: string, suffix: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return files(path, suffix);
    return path.endsWith(suffix) ? [path] : [];
  });
}

/** `Class.method` for every public method of every class in the repository files. */
function repositoryMethods(): string[] {
  const root = projectRoot();
  const sources = [...files(join(root, 'src'), '.repository.ts'), ...files(join(root, 'libs'), '.repository.ts')];
  return sources.flatMap((file) => {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    return source.statements.filter(ts.isClassDeclaration).flatMap((cls) =>
      cls.members
        .filter(ts.isMethodDeclaration)
        .filter((method) => !method.modifiers?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword))
        .map((method) => `${cls.name!.text}.${method.name.getText(source)}`),
    );
  }).sort();
}

describe('the medium tier covers every statement', () => {
  it('has a describe for each public repository method', () => {
    const tests = files(join(projectRoot(), 'test', 'medium'), '.medium-spec.ts').map((file) => readFileSync(file, 'utf8')).join('\n');
    const methods = repositoryMethods();
    expect(methods.length).toBeGreaterThan(30);
    expect(methods.filter((name) => !tests.includes(`describe('${name}'`))).toEqual([]);
  });
});
