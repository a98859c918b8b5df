import { createUniqueId, Show, splitProps, type JSX } from 'solid-js';
import type { Action, Permission } from '../lib/permissions';
import { useStore } from '../stores/context';

/** The visible "why not" beside a control the signed-in role may not use; nothing when it may. */
export function RoleReason(props: { permission: Permission; id?: string; testId?: string }) {
  return (
    <Show when={props.permission.reason}>
      {(reason) => (
        <span class="hint role-reason" id={props.id} data-testid={props.testId ?? 'role-reason'}>
          {reason()}
        </span>
      )}
    </Show>
  );
}

type ButtonProps = Omit<JSX.ButtonHTMLAttributes<HTMLButtonElement>, 'type'>;

/**
 * A button for something only some roles may do: for the others it stays in view, disabled, with the reason beside
 * it (and as its description), so a person learns what they could do and who to ask.
 */
export function GatedButton(props: ButtonProps & { action: Action; testId: string }) {
  const store = useStore();
  const [own, rest] = splitProps(props, ['action', 'testId', 'disabled', 'children']);
  const permission = () => store.session.can(own.action);
  const reasonId = createUniqueId();
  return (
    <>
      <button
        type="button"
        {...rest}
        data-testid={own.testId}
        disabled={own.disabled || !permission().allowed}
        title={permission().reason ?? rest.title}
        aria-describedby={permission().allowed ? rest['aria-describedby'] : reasonId}
      >
        {own.children}
      </button>
      <RoleReason permission={permission()} id={reasonId} testId={`${own.testId}-role`} />
    </>
  );
}
