import { createSignal, type Accessor } from 'solid-js';
import type { Template, TemplateChange, TemplateInput } from '@docprocessor/contracts';
import type { Api } from '../api/http';

export type TemplatesState = 'idle' | 'loading' | 'ready' | 'failed';

export interface Templates {
  /** The tenant's templates as the server lists them: built-ins first. */
  list: Accessor<Template[]>;
  state: Accessor<TemplatesState>;
  /** Why the last load failed, when it did. */
  error: Accessor<string | null>;
  get(name: string): Template | undefined;
  /** Asks the server for the list again; rejects with the ApiError when it cannot. */
  load(): Promise<void>;
  create(input: TemplateInput): Promise<Template>;
  update(name: string, change: TemplateChange): Promise<Template>;
  remove(name: string): Promise<void>;
  /** Takes in a template fetched elsewhere (one template's page reads it fresh). */
  take(template: Template): void;
  clear(): void;
}

/** The templates of the key in use; every change goes through the server first and is then reflected here. */
export function createTemplates(api: Pick<Api, 'listTemplates' | 'createTemplate' | 'updateTemplate' | 'deleteTemplate'>): Templates {
  const [list, setList] = createSignal<Template[]>([]);
  const [state, setState] = createSignal<TemplatesState>('idle');
  const [error, setError] = createSignal<string | null>(null);
  let generation = 0;

  const take = (template: Template) =>
    setList((held) =>
      held.some((t) => t.name === template.name) ? held.map((t) => (t.name === template.name ? template : t)) : [...held, template],
    );

  return {
    list,
    state,
    error,
    get: (name) => list().find((t) => t.name === name),
    async load() {
      const mine = ++generation;
      setState('loading');
      try {
        const fresh = await api.listTemplates();
        if (mine !== generation) return;
        setList(fresh);
        setState('ready');
        setError(null);
      } catch (e) {
        if (mine !== generation) return;
        setState('failed');
        setError(e instanceof Error ? e.message : String(e));
        throw e;
      }
    },
    async create(input) {
      const created = await api.createTemplate(input);
      take(created);
      return created;
    },
    async update(name, change) {
      const updated = await api.updateTemplate(name, change);
      take(updated);
      return updated;
    },
    async remove(name) {
      await api.deleteTemplate(name);
      setList((held) => held.filter((t) => t.name !== name));
    },
    take,
    clear() {
      generation++;
      setList([]);
      setState('idle');
      setError(null);
    },
  };
}
