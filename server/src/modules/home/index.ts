// Registers the home module's types and fields with the schema builder: the signed-in member's home
// (Query.home). It reads through the other modules' index.ts and policies; nothing imports it.
import './home.type.js';
