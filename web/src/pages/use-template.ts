import { createResource, type Accessor, type Resource } from 'solid-js';
import type { Template } from '@docprocessor/contracts';
import { isApiError } from '../api/http';
import { useStore } from '../stores/context';

export interface TemplateLookup {
  /** The template as last seen: the list's copy at once, the fresh one when it arrives. */
  template: Accessor<Template | undefined>;
  /** The fresh read from `GET /api/templates/:name`. */
  fresh: Resource<Template>;
  notFound: Accessor<boolean>;
}

/** One template's page reads it fresh (another tab may have changed it) and shows the list's copy meanwhile. */
export function useTemplate(name: Accessor<string>): TemplateLookup {
  const store = useStore();
  const [fresh] = createResource(name, async (n) => {
    const template = await store.api.getTemplate(n);
    store.templates.take(template);
    return template;
  });
  return {
    template: () => store.templates.get(name()) ?? (fresh.state === 'ready' ? fresh() : undefined),
    fresh,
    notFound: () => isApiError(fresh.error) && fresh.error.status === 404,
  };
}
