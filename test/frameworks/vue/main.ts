import { createApp } from 'vue';
import 'marketing-consent';
import App from './App.vue';

createApp(App).mount('#app');
