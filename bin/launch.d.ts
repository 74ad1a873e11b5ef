// Types of launch.js, for the TypeScript that imports it (the start-up benchmark).
export function builtFromCurrentSources(): boolean;
export function launch(name: 'cli' | 'main'): Promise<void>;
