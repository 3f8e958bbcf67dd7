export class Redis {}; export default Redis;
