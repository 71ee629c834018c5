/** Types for scripts/rooms.mjs (plain JavaScript so that eslint.config.js can load it too). */
export declare const ROOMS: Readonly<Record<string, readonly string[]>>;
export declare function forbiddenRooms(room: string): string[];
