import { render } from 'solid-js/web';
import { StoreProvider } from './stores/context';
import { App } from './app';
import './styles.css';
import './people.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

render(
  () => (
    <StoreProvider>
      <App />
    </StoreProvider>
  ),
  root,
);
