// Types of bin/launch.js for the tests (bin/ is plain JavaScript so that it runs before any build).
export declare const DIST: string;
export declare const STAMP: string;
export declare const ENTRIES: Record<string, string>;
export declare function buildIsCurrent(root?: string): boolean;
export declare function launch(name: string): Promise<unknown>;
